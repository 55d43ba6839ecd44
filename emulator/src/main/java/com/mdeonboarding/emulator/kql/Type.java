package com.mdeonboarding.emulator.kql;

/** The Kusto scalar types the evaluator produces. https://learn.microsoft.com/kusto/query/scalar-data-types/ */
enum Type {
    STRING("string"), INT("int"), LONG("long"), REAL("real"), BOOL("bool"), DYNAMIC("dynamic");

    final String kustoName;

    Type(String kustoName) {
        this.kustoName = kustoName;
    }

    boolean numeric() {
        return this == INT || this == LONG || this == REAL;
    }

    static Type ofKustoName(String name) {
        for (Type t : values()) {
            if (t.kustoName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no Kusto type " + name);
    }
}
