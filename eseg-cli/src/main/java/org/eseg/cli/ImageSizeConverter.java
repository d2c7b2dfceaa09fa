package org.eseg.cli;

import org.eseg.util.ImageSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code HxW} arguments; a bad one is a usage error (exit 2). */
final class ImageSizeConverter implements ITypeConverter<ImageSize> {
    @Override
    public ImageSize convert(String value) {
        try {
            return ImageSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
