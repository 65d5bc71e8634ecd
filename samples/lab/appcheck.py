"""placeholder"""
def check_app(path):
    return []
