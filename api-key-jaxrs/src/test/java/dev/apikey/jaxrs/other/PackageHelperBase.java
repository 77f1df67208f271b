package dev.apikey.jaxrs.other;

import dev.apikey.jaxrs.RequiresApiKey;

/**
 * A base class in another package than its resource subclass, with a package-private method of the resource method's
 * name and parameters: the subclass's method does not override it, so its annotation (an undeclared scope, a cost out
 * of range) must neither apply nor fail the deployment.
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
