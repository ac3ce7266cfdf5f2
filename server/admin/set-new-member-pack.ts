import { DuetError } from '../../core/errors';
import { findTemplates, putPackSetting } from '../coupon/repository';

/**
 * `setNewMemberPack`: the templates every member who joins from now on receives once, on their
 * first login (or first 公众号 follow). Members who joined before are not given it.
 */
export async function setNewMemberPack(request: { templateIds: string[]; trigger: 'login' | 'follow' }, now: Date, activeFrom = now) {
  const ids = [...new Set(request.templateIds)];
  const found = new Map((await findTemplates(ids)).map((template) => [template._id, template]));
  const problems = ids.flatMap((id) => {
    const template = found.get(id);
    if (!template) return [`templateIds: no coupon template ${id}`];
    if (template.status === 'ended') return [`templateIds: template ${id} has ended`];
    return [];
  });
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));
  const setting = await putPackSetting({ templateIds: ids, trigger: request.trigger, activeFrom, updatedAt: now });
  return { templateIds: setting.templateIds, trigger: setting.trigger, activeFrom: activeFrom.toISOString() };
}
