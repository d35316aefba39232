// The entry of a sweep's worker threads (tinypool loads this module in each): the sweep's context arrives
// once, as workerData; each task is a run index, answered with its row (sweep-task.ts).
import { Tinypool } from 'tinypool';
import { SweepGrid } from './sweep-grid.js';
import { runTask, type SweepContext, type TaskOutcome } from './sweep-task.js';

const context = Tinypool.workerData as SweepContext;
const grid = new SweepGrid(context.axes);

export default function run(index: number): TaskOutcome {
  return runTask(context, grid, index);
}
