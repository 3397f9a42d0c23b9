"""gunicorn's settings for this project, read by every `gunicorn` started in this folder (the image, the benchmarks).

Only what the command line does not say: workers, binding and logging stay on the command line (Dockerfile).
"""

import gc


def post_worker_init(worker):
    """Once the worker has loaded the application, put its long-lived objects (some 225,000: modules, classes,
    models, URL patterns) out of the cyclic garbage collector's sight with `gc.freeze()`.

    Without it every full collection during a request walks all of them again (tens of milliseconds, now and then
    in the middle of someone's enrolment) and the younger collections pay for them too. The objects are still freed
    as usual when nothing refers to them; only cycles among them would stay, and a loaded application makes none
    that matter. Instagram's "Dismissing Python Garbage Collection" describes the practice.
    """
    gc.freeze()
