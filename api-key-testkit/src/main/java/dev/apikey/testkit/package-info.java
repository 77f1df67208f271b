/**
 * The contracts of the store SPI and the metering SPI as JUnit 5 test classes. Extend one in your build, give it
 * your implementation, and it runs every case this project runs on its own stores: create and find, lists and pages,
 * versioned replace with a lost race, atomic writes, and metering shared by several instances.
 *
 * <p>For implementers of {@code dev.apikey.spi}; not used at run time.
 */
package dev.apikey.testkit;
