// The signer lives in src/util/ so webhook tools (below events) can sign their requests too.
export { newWebhookSecret, secretKey, signedHeaders, signingKey } from '../util/webhook-signature.ts';
