/**
 * grpc-js keeps channelz statistics (counters, timestamps, a tracker per call) unless told not
 * to. Nothing here serves channelz, and the bookkeeping was 3–5 % of a small service's CPU, so
 * the kit's servers and clients turn it off.
 */
export const CHANNELZ_OFF = { 'grpc.enable_channelz': 0 } as const;
