package dev.apikey.testkit.user;

import dev.apikey.LocalMeter;
import dev.apikey.spi.Meter;
import dev.apikey.testkit.MeterContract;

/** The meter contract on the in-process meter: "another instance" is the same meter, as in one process. */
class LocalMeterContractTest extends MeterContract {

    private LocalMeter local;

    @Override
    protected Meter newMeter() {
        local = new LocalMeter();
        return local;
    }

    @Override
    protected Meter anotherInstance() {
        return local;
    }
}
