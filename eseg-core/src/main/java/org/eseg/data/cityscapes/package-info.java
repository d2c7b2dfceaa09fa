/** The Cityscapes layout and label table (label ids to the 19 train ids, standard palette). */
package org.eseg.data.cityscapes;
