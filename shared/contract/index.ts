import type { z } from 'zod';
import { systemMethods } from './system';
import { authMethods } from './auth';
import { tellerMethods } from './tellers';
import { settingsMethods } from './settings';
import { applicationMethods } from './applications';
import { receiptMethods } from './receipts';
import { dayCloseMethods } from './dayClose';
import { notificationMethods } from './notifications';
import { printingMethods } from './printing';
import { identityCheckMethods } from './identityCheck';
import { acquirerMethods } from './acquirer';
import { cardReaderMethods } from './cardReader';
import type { MethodSpec } from './method';

export * from './errors';
export * from './method';
export * from './bridge';
export { isoDate } from './system';
export * from './auth';
export * from './tellers';
export * from './settings';
export * from './applications';
export * from './receipts';
export * from './dayClose';
export * from './notifications';
export * from './printing';
export * from './identityCheck';
export * from './acquirer';
export * from './cardReader';

/** Every RPC method of the application: one definition, from which the client and the router are typed. */
export const contract = {
  ...systemMethods,
  ...authMethods,
  ...tellerMethods,
  ...settingsMethods,
  ...applicationMethods,
  ...receiptMethods,
  ...dayCloseMethods,
  ...notificationMethods,
  ...printingMethods,
  ...identityCheckMethods,
  ...acquirerMethods,
  ...cardReaderMethods,
} satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller sends (before defaults and transforms). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (after validation, defaults and transforms). */
export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
