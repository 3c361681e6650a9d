import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LENGTH = 10;

/** The shape of every tracking id: GH- and ten uppercase letters or digits. */
export const TRACKING_ID = /^GH-[A-Z0-9]{10}$/;

/**
 * A fresh tracking id such as GH-7QK2M9XA4C. 36^10 ≈ 3.7e15 ids, drawn from the system's
 * cryptographic source, so collisions are negligible without keeping a registry.
 */
export function newTrackingId(pick: (max: number) => number = randomInt): string {
  let id = 'GH-';
  for (let i = 0; i < LENGTH; i++) id += ALPHABET[pick(ALPHABET.length)] ?? '';
  return id;
}
