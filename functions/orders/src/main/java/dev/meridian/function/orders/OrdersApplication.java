package dev.meridian.function.orders;

import dev.meridian.adapter.http.HttpApiConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;

/** The orders function's Spring application: the shared HTTP setup and its controllers, nothing scanned. */
@SpringBootConfiguration(proxyBeanMethods = false)
@Import({HttpApiConfiguration.class, OrdersController.class, ControlController.class, ConflictsController.class})
public class OrdersApplication {}
