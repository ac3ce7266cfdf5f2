import { lotteryContract } from '../../core/contracts/lottery';
import { claimPrize } from '../../server/fission/lottery/claim-prize';
import { drawLottery } from '../../server/fission/lottery/draw-lottery';
import { showLottery, showMyDraws } from '../../server/fission/lottery/show-lottery';
import { createHandler } from '../../server/handler';

export const main = createHandler(lotteryContract, {
  show: (input, { caller }) => showLottery(caller, input, new Date()),
  draw: (input, { caller }) => drawLottery(caller, input, new Date()),
  mine: (input, { caller }) => showMyDraws(caller, input, new Date()),
  claim: (input, { caller }) => claimPrize(caller, input, new Date()),
});
