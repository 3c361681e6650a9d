export type { ReceivedSpan } from './otlp-receiver.js';
export { OtlpReceiver } from './otlp-receiver.js';
export { waitFor } from './wait.js';
export { ServiceProcess } from './service-process.js';
export type { ExemplarLine } from './exposition.js';
export { parseExemplars } from './exposition.js';
export { freePort } from './ports.js';
