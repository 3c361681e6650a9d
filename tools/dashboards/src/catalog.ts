import type { Board } from './board.js';
import { infrastructureBoard } from './boards/infrastructure.js';
import { inventoryBoard } from './boards/inventory.js';
import { loadgenBoard } from './boards/loadgen.js';
import { logsBoard } from './boards/logs.js';
import { ordersBoard } from './boards/orders.js';
import { overviewBoard } from './boards/overview.js';
import { serviceBoard } from './boards/service.js';
import { slosBoard } from './boards/slos.js';

/** Every Glasshouse dashboard, in the order the docs list them. */
export function allBoards(): Board[] {
  return [
    overviewBoard(),
    serviceBoard(),
    slosBoard(),
    loadgenBoard(),
    ordersBoard(),
    inventoryBoard(),
    logsBoard(),
    infrastructureBoard(),
  ];
}
