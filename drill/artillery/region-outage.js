// Helpers for region-outage.yml: a fresh Idempotency-Key per order, the same key on every retry,
// and a retry only after a timeout or a 5xx (as ./drill/run's virtual customers do).
const { randomUUID } = require('crypto');

function freshKey(context, events, done) {
  context.vars.idempotencyKey = 'artillery-' + randomUUID();
  context.vars.orderId = undefined;
  context.vars.cancelThisOne = Math.random() < 0.2;
  context.vars.attempts = 0;
  return done();
}

function retryPlacement(context, next) {
  const status = context.vars.$statusCode;
  const first = context.vars.attempts === 0;
  context.vars.attempts += 1;
  // Loop while no answer yet, or the last one was a timeout (no status) or a 5xx.
  return next(first || status === undefined || status >= 500);
}

module.exports = { freshKey, retryPlacement };
