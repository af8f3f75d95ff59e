package io.dln.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Key generation and the SHA-256 hash that is all the gateway keeps of a key. */
public final class KeyHashing {

    public static final String PREFIX = "dln_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MessageDigest SHA_256 = lookUpSha256();

    private KeyHashing() {
    }

    /** 256 random bits, URL-safe: a hash of it needs no salt or slow function to resist guessing. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh digest copied from one looked up once: every request hashes its key, and the look-up costs more than the copy. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest lookUpSha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.clone(); // fails here, at class loading, if this provider's digests cannot be copied
            return digest;
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a listing shows of a key: enough to tell keys apart, far too little to use. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
    }

    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
