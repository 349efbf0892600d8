restore --default-db shop --rename shop.orders=archive.orders_2024 --rename 'shop.order items=archive.items'
