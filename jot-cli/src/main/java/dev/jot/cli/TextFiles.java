package dev.jot.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the small UTF-8 files commands take (keys, claims), turning I/O failures into usage errors. */
final class TextFiles {

    private TextFiles() {
    }

    static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": permission denied");
        } catch (CharacterCodingException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw CliError.usage("cannot read " + what + " " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
