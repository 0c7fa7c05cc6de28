// Helpers for region-outage.yml: a fresh Idempotency-Key per order, the same key on every retry,
// and a retry only after a 5xx, with backoff, at most MAX_ATTEMPTS placements per order (as
// ./tools/drill/run's virtual customers do, except that Artillery ends a virtual user whose request
// times out, so a timeout cannot be retried here).
const { randomUUID } = require('crypto');

const MAX_ATTEMPTS = 6;

function freshKey(context, events, done) {
  context.vars.idempotencyKey = 'artillery-' + randomUUID();
  context.vars.orderId = undefined;
  context.vars.cancelThisOne = Math.random() < 0.2;
  context.vars.attempts = 0;
  context.vars.placementStatus = undefined;
  return done();
}

// afterResponse of the placement: Artillery keeps no status code in context.vars by itself (an
// earlier version of this file read $statusCode there, saw undefined, and retried every order,
// successful ones included, until a request timed out).
function recordPlacementStatus(requestParams, response, context, events, done) {
  context.vars.placementStatus = response.statusCode;
  return done();
}

// whileTrue of the placement loop. Artillery runs a loop's body once before it first asks (a
// do-while), so this counts the placements made and asks for another only after a 5xx.
function retryPlacement(context, next) {
  const attempts = context.vars.attempts + 1;
  context.vars.attempts = attempts;
  if (attempts >= MAX_ATTEMPTS || !(context.vars.placementStatus >= 500)) {
    return next(false);
  }
  setTimeout(() => next(true), Math.min(4000, 250 * 2 ** (attempts - 1)));
}

module.exports = { freshKey, recordPlacementStatus, retryPlacement };
