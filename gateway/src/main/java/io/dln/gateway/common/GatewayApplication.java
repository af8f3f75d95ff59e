package io.dln.gateway.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

@OpenAPIDefinition(info = @Info(title = "DLN gateway", version = "1",
        description = "Train Deep Language Networks, keep their versions and serve them, also through an OpenAI-compatible API."))
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "An API key as 'Authorization: Bearer <key>'"),
        @SecurityScheme(securitySchemeName = "apiKeyHeader", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
                apiKeyName = "X-API-Key", description = "The same key in the X-API-Key header"),
        @SecurityScheme(securitySchemeName = "oidc", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "An OIDC access token as 'Authorization: Bearer <token>', where the operator has switched OIDC on")
})
public class GatewayApplication extends Application {
}
