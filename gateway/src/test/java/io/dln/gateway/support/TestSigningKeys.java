package io.dln.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * An RSA key pair made by the tests to sign OIDC tokens, in place of an identity server. It is kept in target/ so
 * that the test profile (which gives the gateway the public key) and the test (which signs with the private one) use
 * the same pair, whatever class loaders load them.
 */
public final class TestSigningKeys {

    private static final Path DIR = Path.of("target", "oidc-test-keys");

    private TestSigningKeys() {
    }

    /** The public key as quarkus.oidc.public-key takes it: base64 of its X.509 encoding. */
    public static synchronized String publicKey() {
        ensure();
        return read("public.b64");
    }

    public static synchronized PrivateKey privateKey() {
        ensure();
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(read("private.b64"))));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ensure() {
        if (Files.isRegularFile(DIR.resolve("public.b64"))) return;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("private.b64"), Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            Files.writeString(DIR.resolve("public.b64"), Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
