/**
 * Implementation of api-key. Not API: anything here may change in any release without notice.
 */
package dev.apikey.internal;
