/** A user's images/ and masks/ folders with a classes.txt class list; index, palette and colour masks. */
package org.eseg.data.folder;
