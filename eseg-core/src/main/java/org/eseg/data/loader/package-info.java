/** Deterministic, resumable batching on background threads, with conversion to DJL NDArrays. */
package org.eseg.data.loader;
