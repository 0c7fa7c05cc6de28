/**
 * The HTTP adapter shared by the Spring Boot functions (catalog, orders): an HTTP API payload
 * v2 Lambda event goes through aws-serverless-java-container into Spring MVC, and every answer
 * that is not a success is an RFC 9457 problem ({@code application/problem+json}).
 *
 * <p>Contracts every function gets from here:
 * <ul>
 *   <li>{@link dev.meridian.adapter.http.HttpApiFunction}: one Spring context per container,
 *       started in the init phase on the use cases the bootstrap built
 *       ({@link dev.meridian.adapter.http.HttpApiServices});</li>
 *   <li>{@link dev.meridian.adapter.http.StrictJson}: request bodies are strict JSON (unknown
 *       fields, wrong types and coercions are 400s naming the field);</li>
 *   <li>{@link dev.meridian.adapter.http.ApiErrorAdvice}: each exception class maps to one
 *       status; only a genuine bug is a 500, and only a 500 logs a stack trace;</li>
 *   <li>{@link dev.meridian.adapter.http.BodyLimitFilter}: bodies over 64 KiB are 413s;</li>
 *   <li>{@link dev.meridian.adapter.http.Caller}: identity comes from the JWT claims API Gateway
 *       verified, and is never assumed when they are missing (401/403).</li>
 * </ul>
 * The only module with Spring and the container: only the catalog and orders functions carry it.
 */
package dev.meridian.adapter.http;
