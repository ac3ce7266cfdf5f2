import { groupbuyContract } from '../../core/contracts/groupbuy';
import '../../server/groupbuy/install';
import { joinGroup, openGroup } from '../../server/groupbuy/enter-group';
import { listActivities, quoteSeat, showActivity, showGroup, showMyGroups } from '../../server/groupbuy/show-groups';
import { createHandler } from '../../server/handler';

export const main = createHandler(
  groupbuyContract,
  {
    list: () => listActivities(new Date()),
    activity: (input) => showActivity(input.activityId, new Date()),
    quote: (input, { caller }) => quoteSeat(caller, input, new Date()),
    open: (input, { caller }) => openGroup(caller, input, new Date()),
    join: (input, { caller }) => joinGroup(caller, input, new Date()),
    group: (input, { caller }) => showGroup(caller, input.groupId, new Date()),
    mine: (_input, { caller }) => showMyGroups(caller, new Date()),
  },
  { audience: { list: 'any', activity: 'any', group: 'any' } },
);
