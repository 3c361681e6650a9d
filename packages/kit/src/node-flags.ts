/**
 * Node flags of the shop's processes: the runner that `npm start` launches (the start script in
 * package.json lists them too, and a test keeps the two alike) and, with RUN_MODE=processes,
 * each service process.
 *
 * V8 gives a process four platform threads for garbage collection and compilation, shared by
 * every isolate in it. On a 2-core laptop they contended with the twelve service threads: with
 * two, the shop used ~10 % less CPU per order and per home page and served 8–20 % more of them.
 */
export const SHOP_NODE_FLAGS: readonly string[] = ['--v8-pool-size=2'];
