package dev.tcpautopsy.serve;

/**
 * One file as someone uploaded it: several uploads of the same content share one analysis.
 *
 * @param fileName the name the client gave, for display and search only (never a path)
 */
record Upload(String id, String analysisId, String fileName, String note, String ticket, long created) {
}
