package dev.apikey.testkit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the suite-wide leak check calls secret-shaped: a PHC hash, or a run of 32 or more base62/base64 characters
 * mixing upper case, lower case and digits (a key's secret or token, a hash's digest: random text of that length
 * has all three, while hex digests and file paths in other libraries' lines do not).
 */
public final class SecretShapes {

    private static final Pattern RUN = Pattern.compile("[A-Za-z0-9+/]{32,}");
    private static final Pattern PHC = Pattern.compile("\\$(argon2id|sha256|hmac-sha256)\\$");

    private SecretShapes() {
    }

    /**
     * {@return whether the text holds something shaped like a secret}
     *
     * @param text any text
     */
    public static boolean in(String text) {
        if (PHC.matcher(text).find()) {
            return true;
        }
        Matcher run = RUN.matcher(text);
        while (run.find()) {
            String r = run.group();
            if (r.chars().anyMatch(Character::isUpperCase) && r.chars().anyMatch(Character::isLowerCase)
                    && r.chars().anyMatch(Character::isDigit)) {
                return true;
            }
        }
        return false;
    }
}
