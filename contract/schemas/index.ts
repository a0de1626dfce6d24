/** Every schema module, so the registry of components is the same whoever imports what. */
export * from './common.ts';
export * from './accounts.ts';
export * from './workspaces.ts';
export * from './connections.ts';
export * from './events.ts';
export * from './links.ts';
export * from './operations.ts';
