/** The ADE20K (SceneParsing) layout: 150 classes, label 0 ignored, the rest shifted down by one. */
package org.eseg.data.ade20k;
