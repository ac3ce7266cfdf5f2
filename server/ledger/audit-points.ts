import { fitLots } from '../../core/points/account';
import { elapsedMs } from '../clock';
import { log } from '../log';
import { pageMembers, repairAccount, sumEntries } from './repository';

const PAGE = 200;

export interface AuditReport {
  checked: number;
  mismatched: Array<{ memberId: string; balance: number; ledger: number; lots: number; fixed: boolean }>;
  complete: boolean;
}

/**
 * `auditPoints`: every member's balance against the sum of their ledger entries, and against their
 * lots. With `fix`, a balance (and its lots) is set to the ledger's sum, unless an entry was posted
 * meanwhile; a negative sum is reported and never written (a balance is never negative). Pages by
 * member id within the time budget and says whether it got through everyone.
 */
export async function auditPoints(input: { fix?: boolean; memberId?: string }, budgetMs: number): Promise<AuditReport> {
  const started = performance.now();
  const report: AuditReport = { checked: 0, mismatched: [], complete: false };
  let after: string | null = null;
  for (;;) {
    if (elapsedMs(started) > budgetMs) return report;
    const members = await pageMembers(after, PAGE, input.memberId);
    const sums = await sumEntries(members.filter((m) => !m.mergedInto || m.points).map((m) => m._id));
    for (const member of members) {
      report.checked += 1;
      const ledger = sums.get(member._id) ?? 0;
      const balance = Number(member.points ?? 0);
      // Lots as stored (a balance from before lots existed is one lot), not fitted to the balance: the audit compares them.
      const lots = member.pointLots ? member.pointLots.reduce((sum, lot) => sum + lot.left, 0) : balance;
      if (ledger === balance && lots === balance) continue;
      let fixed = false;
      if (input.fix && ledger >= 0) {
        fixed = await repairAccount(member._id, Number(member.pointsSeq ?? 0), ledger, (stored) => fitLots(stored.pointLots ?? [], ledger));
      }
      report.mismatched.push({ memberId: member._id, balance, ledger, lots, fixed });
      log(fixed ? 'warn' : 'error', { event: 'points.audit_mismatch', memberId: member._id, balance, ledger, lots, fixed });
    }
    if (members.length < PAGE || input.memberId) {
      report.complete = true;
      return report;
    }
    after = members[members.length - 1]._id;
  }
}
