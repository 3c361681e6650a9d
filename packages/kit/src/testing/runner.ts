import { join } from 'node:path';
import { SHOP_NODE_FLAGS } from '../node-flags.js';

/** The node arguments of `npm start`'s runner in the repository at `root`, flags included. */
export function runnerArguments(root: string): string[] {
  return [...SHOP_NODE_FLAGS, join(root, 'tools', 'run', 'dist', 'main.js')];
}
