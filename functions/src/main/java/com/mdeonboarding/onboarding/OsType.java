package com.mdeonboarding.onboarding;

public enum OsType {
    WINDOWS, LINUX, UNKNOWN
}
