"""Locust's fastest user class hammering one keep-alive GET, the same work as the other generators."""
from locust import constant
from locust.contrib.fasthttp import FastHttpUser
from locust import task


class Hammer(FastHttpUser):
    wait_time = constant(0)

    @task
    def get_root(self):
        self.client.get("/")
