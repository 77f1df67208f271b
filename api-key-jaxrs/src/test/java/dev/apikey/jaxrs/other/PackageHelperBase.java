package dev.apikey.jaxrs.other;

import dev.apikey.jaxrs.RequiresApiKey;

/**
 * A base class in another package than its resource subclass, with a package-private annotated method of the resource
 * method's name and parameters, which the subclass's method does not override (or does, through a class of this
 * package between them): the deployment fails, naming both.
 */
public abstract class PackageHelperBase {

    /** Creates the base; subclasses call it. */
    protected PackageHelperBase() {
    }

    @RequiresApiKey(value = "events:delete", cost = 0)
    String list(String q) {
        return q;
    }
}
