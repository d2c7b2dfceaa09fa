/** A synthetic street-scene generator writing the Cityscapes layout, for demos and tests. */
package org.eseg.data.synth;
