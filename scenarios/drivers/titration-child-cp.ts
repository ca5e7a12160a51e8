/** Expert: daily titration of a child with cerebral palsy by 15% steps (the children's band, 5-15%). */
import type { Driver } from '../../src/training/scenario/driver';
import { titrate } from './titration';

const drive: Driver = (svc, c) =>
  titrate(svc, c, {
    stepPercent: 15,
    rounds: 7,
    reason:
      'Post-implant titration of a child: tone still Modified Ashworth 2 after 24 h; 15% step, the top of the 5-15% band',
  });
export default drive;
