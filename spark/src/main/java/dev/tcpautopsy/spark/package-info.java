/** tcpautopsy over a capture archive on Apache Spark: listing, series, executor tasks, the archive's reports. */
package dev.tcpautopsy.spark;
