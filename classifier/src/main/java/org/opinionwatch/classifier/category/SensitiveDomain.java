package org.opinionwatch.classifier.category;

/** The sensitive domains of the plan: a MAJOR incident touching one of them is CRITICAL. */
public enum SensitiveDomain {
    EMERGENCY("emergency"),
    PUBLIC_SAFETY("public-safety"),
    FOOD("food"),
    HEALTH("health"),
    NATURAL_DISASTER("natural-disaster"),
    PRODUCTION_QUALITY("production-quality"),
    SECURITY_SECRECY("security-secrecy");

    private final String key;

    SensitiveDomain(String key) {
        this.key = key;
    }

    /** The lexicon's name in {@code lexicons.yaml} and in the config's {@code sensitiveDomains}. */
    public String key() {
        return key;
    }
}
