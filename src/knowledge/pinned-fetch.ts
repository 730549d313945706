// Lives in src/util/ so webhook tools (below knowledge) connect the same way.
export * from '../util/pinned-fetch.ts';
