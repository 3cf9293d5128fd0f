package org.opinionwatch.contract.event;

/** Who acts in the response plan. */
public enum Role {
    /** The department concerned by the post. */
    DEPARTMENT,
    /** The public-opinion office (舆情办公室). */
    OFFICE,
    /** The leadership group (领导小组). */
    LEADERSHIP_GROUP,
    /** The superior authority the leadership reports to for CRITICAL incidents. */
    SUPERIOR_AUTHORITY,
    /** The one spokesperson who speaks outward for MAJOR and CRITICAL incidents. */
    SPOKESPERSON
}
