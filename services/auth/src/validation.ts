import { isIP } from 'node:net';
import { auth } from '@glasshouse/contracts';
import { EMAIL_ADDRESS, invalidArgument, redactFields, storableTextProblem } from '@glasshouse/kit';

/** Longest password taken: long passphrases are welcome, megabytes fed to scrypt are not. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_NAME_LENGTH = 100;
export const MAX_LABEL_LENGTH = 64;
export const MAX_TARGET_LENGTH = 200;
/** Longest before or after state of an audit record, as JSON text. */
export const MAX_AUDIT_JSON_LENGTH = 16_384;
/** A dotted action name: `flag.set`, `stock.restock`, `role.set`. */
const ACTION = /^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)+$/;
const MAX_ACTION_LENGTH = 64;

/** Refuses the request with INVALID_ARGUMENT; the reason names the field. */
const refuse = (problem: string): never => {
  throw invalidArgument(problem);
};

/** The email as stored and compared: trimmed and lower-cased. */
export function emailOf(field: string, value: string): string {
  const email = value.trim().toLowerCase();
  if (!email) refuse(`${field}: required`);
  if (email.length > 320 || !EMAIL_ADDRESS.test(email)) refuse(`${field}: not an email address`);
  return email;
}

export function passwordOf(value: string, minLength: number): string {
  if (!value) refuse('password: required');
  if ([...value].length < minLength) refuse(`password: shorter than ${minLength} characters`);
  if (value.length > MAX_PASSWORD_LENGTH) refuse(`password: longer than ${MAX_PASSWORD_LENGTH} characters`);
  if (value.includes('\u0000')) refuse('password: must not contain a NUL character');
  return value;
}

/** A password given to sign in: only its size is checked, a wrong one is simply wrong. */
export function givenPasswordOf(value: string): string {
  if (!value) refuse('password: required');
  if (value.length > MAX_PASSWORD_LENGTH) refuse(`password: longer than ${MAX_PASSWORD_LENGTH} characters`);
  return value;
}

const isControl = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
};

export function textOf(field: string, value: string, maxLength: number, required = true): string {
  const text = value.trim();
  if (required && !text) refuse(`${field}: required`);
  if (text.length > maxLength) refuse(`${field}: longer than ${maxLength} characters`);
  const problem =
    storableTextProblem(field, text) ??
    ([...text].some(isControl) ? `${field}: must not contain control characters` : undefined);
  if (problem) refuse(problem);
  return text;
}

/** The shopper's IP address as the frontend saw it; empty when the caller has none. */
export function clientAddressOf(value: string): string | undefined {
  const address = value.trim();
  if (!address) return undefined;
  if (!isIP(address)) refuse(`client_address: ${JSON.stringify(address.slice(0, 64))} is not an IP address`);
  return address;
}

export function tokenOf(field: string, value: string): string {
  if (!value) refuse(`${field}: required`);
  if (value.length > 512) refuse(`${field}: longer than 512 characters`);
  return value;
}

const ROLES: ReadonlySet<auth.Role> = new Set([
  auth.Role.ROLE_CUSTOMER,
  auth.Role.ROLE_OPERATOR,
  auth.Role.ROLE_ADMIN,
]);

export function roleOf(value: auth.Role): auth.Role {
  if (!ROLES.has(value)) refuse(`role: ${value} is not a role (customer, operator or admin)`);
  return value;
}

export function actionOf(value: string): string {
  const action = value.trim();
  if (!action) refuse('action: required');
  if (action.length > MAX_ACTION_LENGTH || !ACTION.test(action))
    refuse(`action: ${JSON.stringify(action.slice(0, 64))} is not a dotted action name (e.g. flag.set)`);
  return action;
}

/** An audit record's before or after state: JSON text or empty, with any secret field removed. */
export function auditJsonOf(field: string, value: string): string {
  if (!value.trim()) return '';
  if (value.length > MAX_AUDIT_JSON_LENGTH)
    refuse(`${field}: longer than ${MAX_AUDIT_JSON_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return refuse(`${field}: not JSON`);
  }
  const text = JSON.stringify(redactFields(parsed));
  const problem = storableTextProblem(field, text);
  if (problem) refuse(problem);
  return text;
}

export function limitOf(value: number, fallback: number, max: number): number {
  if (!Number.isInteger(value) || value < 0) refuse('limit: must not be negative');
  return Math.min(value || fallback, max);
}
