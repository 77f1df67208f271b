/**
 * Implementation of api-key: parsing and generating keys, address sets, scope bits, and the other small parts the
 * values and the engine share. Not API: anything here may change in any release without notice, and
 * {@code module-info.java} does not export it.
 *
 * <p>Who may use it: the core's own packages only. It is the bottom layer and depends on no other package of the
 * core.
 */
package dev.apikey.internal;
