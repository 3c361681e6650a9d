/** Nothing here serves channelz, and grpc-js's bookkeeping for it costs CPU on every call (bench/README.md). */
export const CHANNELZ_OFF = { 'grpc.enable_channelz': 0 } as const;
