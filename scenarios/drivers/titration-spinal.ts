/** Expert: daily titration of a spinal patient by 20% steps (label band 10-30%) until Modified Ashworth 1+. */
import type { Driver } from '../../src/training/scenario/driver';
import { titrate } from './titration';

const drive: Driver = (svc, c) =>
  titrate(svc, c, {
    stepPercent: 20,
    rounds: 7,
    reason:
      'Post-implant titration: tone still Modified Ashworth 2 after 24 h; 20% step within the 10-30% band',
  });
export default drive;
