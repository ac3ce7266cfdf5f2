import type { TemplateStatus } from '../../core/coupon/claim-decision';
import { DuetError } from '../../core/errors';
import { addTemplateStock, findTemplate, setTemplateStatus } from '../coupon/repository';
import { templateRow } from './coupon-template-row';

export interface UpdateTemplateRequest {
  templateId: string;
  addStock?: number;
  action?: 'pause' | 'resume' | 'end';
}

const TRANSITIONS: Record<NonNullable<UpdateTemplateRequest['action']>, { from: TemplateStatus[]; to: TemplateStatus }> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  end: { from: ['active', 'paused'], to: 'ended' },
};

/**
 * `updateCouponTemplate`: more stock, pause, resume, end early. Terms never change after creation
 * (claimed coupons carry them; a different offer is a new template). Each change is one conditional
 * write, so it races safely with claims; asking for the state a template is already in is not an error.
 */
export async function updateCouponTemplate(request: UpdateTemplateRequest, now: Date) {
  if (request.addStock === undefined && request.action === undefined) {
    throw new DuetError('INVALID_ARGUMENT', 'say what to change: addStock, action (pause, resume, end), or both');
  }
  const template = await findTemplate(request.templateId);
  if (!template) throw new DuetError('NOT_FOUND', `no coupon template ${request.templateId}`);
  // Checked before any write (a refused job writes nothing): checked after the status move, as it
  // was, `end` with `addStock` ended the template and then refused the job.
  if (request.addStock !== undefined && (template.status === 'ended' || request.action === 'end')) {
    throw new DuetError('FAILED_PRECONDITION', `template ${template._id} has ended or is ending: stock cannot be added`);
  }
  if (request.action) {
    const move = TRANSITIONS[request.action];
    const fields: Record<string, unknown> = { updatedAt: now };
    if (move.to === 'ended') fields.endedAt = now;
    const moved = await setTemplateStatus(template._id, move.from, move.to, fields);
    if (!moved) {
      const current = (await findTemplate(template._id))?.status;
      if (current !== move.to) {
        throw new DuetError('FAILED_PRECONDITION', `cannot ${request.action} template ${template._id}: it is ${current}`);
      }
    }
  }
  if (request.addStock !== undefined && !(await addTemplateStock(template._id, request.addStock, now))) {
    throw new DuetError('FAILED_PRECONDITION', `template ${template._id} has ended: stock cannot be added`);
  }
  const updated = await findTemplate(template._id);
  if (!updated) throw new DuetError('NOT_FOUND', `coupon template ${template._id} vanished`);
  return { template: await templateRow(updated) };
}
