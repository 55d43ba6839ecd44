package com.mdeonboarding.model;

public enum OsType {
    WINDOWS, LINUX, UNKNOWN
}
