/** Dataset checks: counts per class and every problem found, in one pass. */
package org.eseg.data.stats;
