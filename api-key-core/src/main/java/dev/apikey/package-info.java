/**
 * The front door: {@link dev.apikey.ApiKeys} and what its methods take and return (queries, pages, issued keys,
 * statistics, hygiene reports), with the in-process store and meter.
 *
 * <p>Who may use it: any host. This package is the top layer of the core: it holds, package-private and out of
 * reach, the engine behind the facade (verify with its cache, secret gate and callouts; the key lifecycle; the
 * queries), and it may use every other package of the core. No other package of the core uses it; the build
 * checks that (PackageLayersTest).
 */
package dev.apikey;
