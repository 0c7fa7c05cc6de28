package dev.meridian.function.catalog;

import dev.meridian.adapter.http.HttpApiConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;

/** The catalog's Spring application: the shared HTTP setup and one controller, nothing scanned. */
@SpringBootConfiguration(proxyBeanMethods = false)
@Import({HttpApiConfiguration.class, CatalogController.class})
public class CatalogApplication {}
