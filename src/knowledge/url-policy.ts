// The URL policy lives in src/util/ so webhook tools and the outbox (below knowledge) follow the same rule.
export * from '../util/url-policy.ts';
