export * from './contract';
export * from './lifecycle';
export * from './rules';
